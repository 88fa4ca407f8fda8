"""Click commands, one module per concern; ``monitor.cli`` assembles them."""
