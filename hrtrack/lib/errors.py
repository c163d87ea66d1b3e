"""Errors the CLI, the API and the pages turn into a clear message."""


class InvalidInput(ValueError):
    """Input that cannot be saved; ``problems`` says each thing that is wrong."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))
