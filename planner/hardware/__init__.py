"""Machine inventory, NVIDIA GPUs through NVML, ONNX Runtime providers and energy meters."""
