"""The library itself, shared by the window and the command line: no Qt here, nothing of app."""
