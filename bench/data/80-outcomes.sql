-- step: outcomes knee gradings | after: history plan
-- Every treated knee of the ten years was graded before its injection (Kellgren-Lawrence 1-4, mostly 2-3),
-- so the outcome report groups each one (docs/outcomes.md, "The report").
INSERT INTO knee_assessments (id, donor_id, knee, assessed_at, kellgren_lawrence, imaging, recorded_by, recorded_at)
SELECT bench.id(60, i), bench.id(3, donor), (ARRAY['LEFT', 'RIGHT'])[1 + (i % 2)::int], created - interval '12 days',
       (ARRAY[1, 2, 2, 3, 3, 4])[1 + (i % 6)::int], 'XRAY', bench.doctor_id(clinic), created - interval '12 days'
  FROM bench.history WHERE status = 'RELEASED';

-- step: outcomes baselines | after: history plan
-- A baseline a week before each administration (history doses: final_at + 26 h), VAS 50-89 mm.
INSERT INTO outcome_assessments (id, donor_id, clinic_id, knee, kind, assessed_at, vas_pain, koos_pain, recorded_by,
                                 recorded_at)
SELECT bench.id(61, i), bench.id(3, donor), bench.clinic_id(clinic), (ARRAY['LEFT', 'RIGHT'])[1 + (i % 2)::int],
       'BASELINE', final_at - interval '7 days', 50 + (i % 40)::int, 30 + (i % 30)::int, bench.doctor_id(clinic),
       final_at - interval '7 days'
  FROM bench.history WHERE status = 'RELEASED';

-- step: outcomes follow-ups | after: history plan
-- Follow-ups of each administered dose at 3, 6, 12 and 24 months, as far as the ten years reach: pain falls
-- by 10-70 % (about half the knees respond) and creeps back after the first year.
INSERT INTO outcome_assessments (id, donor_id, clinic_id, knee, kind, assessed_at, vas_pain, dose_id, recorded_by,
                                 recorded_at)
SELECT bench.id(62 + k, i), bench.id(3, donor), bench.clinic_id(clinic), (ARRAY['LEFT', 'RIGHT'])[1 + (i % 2)::int],
       'FOLLOW_UP', at, greatest(0, least(100,
         ((50 + (i % 40)) * (100 - (10 + (i * 7 + k * 13) % 61) + CASE WHEN months > 12 THEN 25 ELSE 0 END) / 100)::int)),
       bench.id(6, i), bench.doctor_id(clinic), at
  FROM bench.history
 CROSS JOIN LATERAL (VALUES (0, 3), (1, 6), (2, 12), (3, 24)) AS f(k, months)
 CROSS JOIN LATERAL (SELECT final_at + interval '26 hours' + make_interval(months => months) + interval '2 days' AS at) t
 WHERE status = 'RELEASED' AND at < now();
