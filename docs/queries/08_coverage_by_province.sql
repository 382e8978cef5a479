-- How complete is each province's year: bodies that reported / bodies known there (any year)?
select
    region_name as province,
    report_year,
    bodies_reporting,
    bodies_known,
    round(coverage, 4) as coverage,
    reports
from marts.mart_region_year
where region_level = 'province'
    and admin_level = 'all'
order by province, report_year;
