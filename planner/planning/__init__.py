"""Capacity, total cost of ownership and uncertainty: pure functions over numpy."""
