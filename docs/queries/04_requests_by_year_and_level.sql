-- How many requests did bodies of each level receive per year, and how many reports state the figure?
select
    report_year,
    coalesce(admin_level, 'unknown') as admin_level,
    count(*) as bodies,
    count(applications_new) as bodies_stating_requests,
    sum(applications_new) as applications_new,
    sum(responded_total) as responded_total
from marts.mart_agency_year
group by report_year, coalesce(admin_level, 'unknown')
order by report_year, admin_level;
