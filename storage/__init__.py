"""Storage: database models, the snapshot store and migrations."""
