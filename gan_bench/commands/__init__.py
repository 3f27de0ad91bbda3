"""What the CLI's commands do, as functions: the engine's work followed by the report
(``run``, ``eval``, ``report``) and the listings. The CLI is a thin shell over these."""
