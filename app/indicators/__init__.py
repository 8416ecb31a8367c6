"""Indicator scoring (resultatdokumentation): the 1–5 scale, the outcome table and the measurement rhythm."""
