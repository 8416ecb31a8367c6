"""Reports: charts and the case report PDF."""
