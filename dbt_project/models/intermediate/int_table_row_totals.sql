{#-
  One row per printed line with a 总计 (each 表三 row, each 表四 block) of each
  document: the line total the table gives, following shared/eval/README.md.

  total_cell          the 总计 cell is NUMERIC / ZERO: its number, as printed
  derived_from_parts  the 总计 cell is blank (or its column was not found) and
                      the part cells (6 applicant columns / 4 results) are all
                      there, none NA / TEXT, at least one holds a number: their
                      sum, blank parts read as 0
  null (unknown)      anything else: the whole line blank, a 总计 of NA / TEXT,
                      an unreadable or missing part. Never 0.
-#}

{%- set t3_parts = t3_applicant_columns() | length %}
{%- set t4_parts = t4_results() | length %}

with

table_cells as (

    select * from (select * from {{ ref('int_table_cells') }} {{ in_build_scope() }})
    where table_id in ('t3', 't4')

),

line_cells as (

    select
        document_id,
        table_id,
        line_key,
        max(era) as era,
        coalesce(max(value_semantic) filter (where is_line_total), 'MISSING') as total_semantic,
        max(value_num) filter (where is_line_total and value_semantic in ('NUMERIC', 'ZERO')) as total_value,
        max(provenance) filter (where is_line_total) as total_provenance,
        max(fact_key) filter (where is_line_total) as total_fact_key,
        case table_id when 't3' then {{ t3_parts }} else {{ t4_parts }} end as parts_expected,
        count(*) filter (where not is_line_total) as parts_present,
        count(*) filter (where not is_line_total and value_semantic in ('NUMERIC', 'ZERO')) as parts_filled,
        count(*) filter (where not is_line_total and value_semantic in ('NA', 'TEXT')) as parts_unreadable,
        count(*) filter (where not is_line_total and identity_value is null) as parts_unknown,
        sum(identity_value) filter (where not is_line_total) as parts_identity_sum,
        max(source) filter (where is_line_total) as total_source

    from table_cells
    group by document_id, table_id, line_key

),

line_parts as (

    select
        *,
        case
            when parts_present = parts_expected and parts_unknown = 0 then parts_identity_sum
        end as parts_sum

    from line_cells

),

line_totals as (

    select
        *,
        case
            when total_semantic in ('NUMERIC', 'ZERO') then 'total_cell'
            when total_semantic in ('EMPTY', 'MISSING') and parts_filled > 0 and parts_sum is not null
                then 'derived_from_parts'
        end as value_method

    from line_parts

),

derived_parts as (

    -- the parts, in printed order, of the few lines whose total is derived from them: ordered list aggregates
    -- over every line cost more time and memory than the rest of the model
    select
        table_cells.document_id,
        table_cells.table_id,
        table_cells.line_key,
        string_agg(table_cells.col_key, '+' order by table_cells.grid_col, table_cells.col_key) as part_col_keys,
        (list(table_cells.source order by table_cells.grid_col, table_cells.col_key))[1] as first_part_source,
        list(table_cells.fact_key order by table_cells.grid_col, table_cells.col_key) as part_fact_keys

    from table_cells
    semi join line_totals
        on table_cells.document_id = line_totals.document_id
        and table_cells.table_id = line_totals.table_id
        and table_cells.line_key = line_totals.line_key
        and line_totals.value_method = 'derived_from_parts'
    where not table_cells.is_line_total
    group by table_cells.document_id, table_cells.table_id, table_cells.line_key

),

final as (

    select
        document_id,
        table_id,
        line_key,
        era,
        case value_method
            when 'total_cell' then total_value
            when 'derived_from_parts' then parts_sum
        end as line_value,
        value_method,
        coalesce(value_method = 'derived_from_parts', false) as derived_from_parts,
        case
            when value_method is not null then null
            when total_semantic in ('NA', 'TEXT') then 'total ' || lower(total_semantic)
            when parts_filled = 0 then 'line blank'
            when parts_unreadable > 0 then 'part cells NA/text'
            else 'part cells missing'
        end as unknown_reason,
        total_semantic,
        total_value,
        total_fact_key,
        parts_expected,
        cast(parts_present as integer) as parts_present,
        cast(parts_filled as integer) as parts_filled,
        parts_sum,
        case value_method
            when 'total_cell' then total_provenance
            when 'derived_from_parts'
                then 'table:' || table_id || '/' || case table_id when 't4' then 'all' else line_key end
                    || '/' || part_col_keys || '@' || coalesce(total_source, first_part_source)
        end as provenance,
        case value_method
            when 'total_cell' then [total_fact_key]
            when 'derived_from_parts' then part_fact_keys
        end as used_fact_keys

    from line_totals
    left join derived_parts using (document_id, table_id, line_key)

)

select * from final {{ in_build_batch() }}
