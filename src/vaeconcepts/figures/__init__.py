"""One module per figure of the paper; each exposes a function that returns a Figure."""
