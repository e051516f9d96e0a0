"""ONNX model inspection, FLOP and parameter counts, input synthesis and sample models."""
