"""Running a batch: the controller and its worker processes, scheduling, retries, the load governor."""
