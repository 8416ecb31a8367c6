"""The due list: per case worker, everything that is due or waiting on their cases."""
