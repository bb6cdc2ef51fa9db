"""Importing the orders a shop platform exports: read, map, parse, group, load."""
