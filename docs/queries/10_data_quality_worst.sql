-- Which bodies' figures need a look first: failed checks, conflicting values, figures read only from prose?
select
    q.agency,
    q.report_year,
    q.reports,
    q.checks_failed,
    q.cross_report_checks_failed,
    q.conflicts,
    q.figures_stated,
    q.figures_from_prose_only,
    q.quarantined_files
from marts.mart_data_quality as q
where q.checks_failed > 0 or q.conflicts > 0
order by q.checks_failed desc, q.conflicts desc, q.agency, q.report_year;
