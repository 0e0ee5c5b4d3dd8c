DROP TABLE plan_events;
DROP TABLE plan_stages;
DROP TABLE plan_steps;
DROP TABLE plan_goals;
DROP TABLE individual_plans;
