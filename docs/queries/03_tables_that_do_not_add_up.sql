-- Which reports print tables that do not add up (表三 / 表四 identities that fail)?
select
    r.source_file,
    a.agency,
    r.report_year,
    c.check_name,
    c.left_value,
    c.right_value
from marts.check_results as c
inner join marts.dim_report as r on c.document_id = r.document_id
left join marts.dim_agency as a on r.agency_key = a.agency_key
where c.status = 'FAIL'
    and (c.check_name like 't3\_%' escape '\' or c.check_name like 't4\_%' escape '\')
order by r.source_file, c.check_name;
