"""Hand-over mode: the case worker's tablet as one participant's form at a time, and paper answers
typed in afterwards (DESIGN.md §2K, issue 18 item 2).

state.py keeps the mode in the staff session and confines that session to the hand-over pages;
views.py holds the pages.
"""
