"""The exception a bad policy raises."""

from typing import List, NamedTuple


class Problem(NamedTuple):
    """One problem in a policy: where it is (a JSON path) and what is wrong there."""

    path: str
    message: str


class PolicyError(ValueError):
    """A policy that cannot be used. The message lists every problem with its JSON path,
    exactly as the core words it; ``problems`` holds them as :class:`Problem` tuples."""

    problems: List[Problem]

    def __init__(self, message: str, problems: List[Problem]) -> None:
        super().__init__(message)
        self.problems = problems
