"""smoke-notebook: the book check notebook, its runner and its report."""
