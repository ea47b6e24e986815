"""Papershelf's front ends: the window (app.gui) and the command line (app.cli), both on storage."""
