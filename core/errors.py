"""The one error a state change raises when it is not allowed now."""


class ActionError(Exception):
    """A change that is not allowed now; the message says why, in Chinese, for the person who tried.

    Pages show the message; the API answers it as a 409 (or 422 for bad input) with the message as detail.
    """
