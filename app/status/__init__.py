"""Before a meeting: the provider's status (DESIGN.md flow B) and "what do we want to see
happen?" (flow C), and sending any round's links by e-mail or SMS."""
