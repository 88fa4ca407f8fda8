"""ki-monitor: analysis, differ, feeds, scheduler and the command line."""
