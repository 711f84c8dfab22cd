-- step: vigilance adverse events | after: history plan
-- One released batch in fifty had an adverse event after its dose (about 20,000 over ten years), in the seven
-- seriousness classes by turn, known a day after onset; the serious ones reported five days later, every one
-- closed by QA a month on with a causality by turn. The periodic report counts them by onset and by closure.
INSERT INTO adverse_events (id, donor_id, clinic_id, dose_id, batch_id, onset_at, known_at, description, seriousness,
                            suspected_infection, report_due_at, status, recorded_by, recorded_at, reported_at,
                            report_reference, reported_by, report_late, report_signature, causality, conclusion,
                            closed_by, closed_at, close_signature)
SELECT bench.id(30, i), bench.id(3, donor), bench.clinic_id(clinic), bench.id(6, i), bench.id(5, i),
       onset, onset + interval '1 day', 'Swelling of the treated knee', seriousness, i % 500 = 3,
       CASE WHEN days IS NULL THEN NULL ELSE onset + interval '1 day' + days * interval '1 day' END,
       'CLOSED', bench.doctor_id(clinic), onset + interval '1 day',
       CASE WHEN days IS NULL THEN NULL ELSE onset + interval '6 days' END,
       CASE WHEN days IS NULL THEN NULL ELSE 'MHLW-' || i END,
       CASE WHEN days IS NULL THEN NULL ELSE bench.user_id('qa') END,
       CASE WHEN days IS NULL THEN NULL ELSE false END,
       CASE WHEN days IS NULL THEN NULL ELSE jsonb_build_object('signerId', bench.user_id('qa'), 'signerName', 'QA',
         'signerRole', 'qa', 'meaning', 'Report filed', 'signedAt', onset + interval '6 days', 'recordHash', repeat('0', 64)) END,
       (ARRAY['RELATED', 'POSSIBLY_RELATED', 'UNLIKELY', 'UNRELATED'])[1 + ((i / 50) % 4)::int], 'Reviewed',
       bench.user_id('qa'), onset + interval '31 days',
       jsonb_build_object('signerId', bench.user_id('qa'), 'signerName', 'QA', 'signerRole', 'qa',
         'meaning', 'Conclusion', 'signedAt', onset + interval '31 days', 'recordHash', repeat('0', 64))
  FROM (SELECT i, donor, clinic, final_at + interval '2 days' AS onset,
               (ARRAY['DEATH', 'LIFE_THREATENING', 'HOSPITALIZATION', 'DISABILITY', 'CONGENITAL_ANOMALY',
                      'OTHER_SERIOUS', 'NON_SERIOUS'])[1 + ((i / 50) % 7)::int] AS seriousness,
               (ARRAY[7, 7, 15, 15, 15, 15, NULL])[1 + ((i / 50) % 7)::int] AS days
          FROM bench.history WHERE status = 'RELEASED' AND i % 50 = 3) events;
