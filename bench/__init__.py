"""Peermap's benchmarks: pairs measured side by side in one run (README, "Benchmarks")."""
