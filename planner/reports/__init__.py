"""PDF and CSV reports and assessment bundles."""
