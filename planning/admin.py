"""Nothing of its own to administer: the plan's models are in the admin of their apps."""
