{#-
  The checks of 表四, one row per (check, document), in the shape of
  check_results (see int_table_checks for which documents get them and how
  cells take part).

  t4_identity_<block>  维持 + 纠正 + 其他 + 尚未审结 = 总计 (review / direct
                       / after_review)
-#}

with

t4_documents as (

    select * from {{ ref('int_table_documents') }}
    where table_id = 't4'

),

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

row_totals as (

    select * from {{ ref('int_table_row_totals') }} {{ in_build_scope() }}

),

t4_parts as (

    select * from (
        values
            {%- for block in t4_blocks() %}
            {%- set block_loop = loop %}
            {%- for result in t4_results() %}
            ('{{ block }}', '{{ block }}.{{ result }}', {{ block_loop.index * 10 + loop.index }}){{ ',' if not (block_loop.last and loop.last) }}
            {%- endfor %}
            {%- endfor %}
    ) as t4_parts (block, col_key, position)

),

t4_grid as (

    select
        t4_documents.document_id,
        t4_documents.has_table,
        t4_parts.block,
        t4_parts.col_key,
        t4_parts.position,
        table_cells.identity_value as check_value,
        table_cells.fact_key is not null as cell_found,
        table_cells.fact_key,
        case
            when table_cells.fact_key is null then t4_parts.col_key || ' not found'
            when table_cells.identity_value is null
                then t4_parts.col_key || ' ' || {{ unreadable_cell('table_cells') }}
        end as problem

    from t4_documents
    cross join t4_parts
    left join table_cells
        on t4_documents.document_id = table_cells.document_id
        and table_cells.table_id = 't4'
        and t4_parts.col_key = table_cells.col_key

),

t4_block_parts as (

    select
        't4_identity_' || block as check_name,
        document_id,
        has_table,
        block as line_key,
        '表四 (t4)' as table_label,
        case
            when count(*) filter (where check_value is null) = 0 then sum(check_value)
        end as left_value,
        case
            when not bool_or(cell_found) then block || ' not found'
            else string_agg(problem, ', ' order by position) filter (where problem is not null)
        end as part_problems,
        {% for result in t4_results() -%}
        block || '.{{ result }}{{ ' + ' if not loop.last else ' = ' }}' || {% endfor -%}
        block || '.total' as identity,
        list(fact_key order by position) as read_fact_keys

    from t4_grid
    group by document_id, has_table, block

),

line_total_sides as (

    {{ line_total_sides('t4_block_parts', 'row_totals', 't4', '.') }}

),

final as (

    {{ identity_check_results('line_total_sides') }}

)

select * from final {{ in_build_batch() }}
