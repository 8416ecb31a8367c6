"""The case worker's goal attainment per action-plan goal and follow-up meeting (issue 14 item 4)."""
