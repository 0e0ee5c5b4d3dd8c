DROP TABLE safety_plan_revisions;
