-- Which reports carry over a different number of requests (上年结转) than the body's report for the year
-- before carried forward (结转下年度)? And how many reports could be checked at all?
select
    c.status,
    count(*) as reports,
    count(*) filter (where c.detail like 'no report of the body for %') as no_report_the_year_before,
    count(*) filter (where c.detail like 'not stated%') as figure_not_stated
from marts.check_results as c
where c.check_name = 'cross_year_carry_over'
group by c.status
order by c.status;
