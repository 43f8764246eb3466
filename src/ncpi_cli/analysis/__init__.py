"""Analyses over a validated Dataset: each returns plain rows and an account of its inputs."""
