"""Reform plans and their progress reports (kinds plan_tasks and task_progress): the tables as units type them."""
