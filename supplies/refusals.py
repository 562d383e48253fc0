"""The refusals of the supplies rules (stock, entitlements, beds); a view turns one into a
message for the clerk and changes nothing."""


class StockRefused(Exception):
    """A movement the rules do not allow; the message says why, for the clerk."""
