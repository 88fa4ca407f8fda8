"""The HTTP side of ``ki-monitor serve``: feeds for readers and review pages for people."""
