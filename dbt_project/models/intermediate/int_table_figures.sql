{#-
  The table half of int_fact_figures: every staged table cell that maps to a
  conformed measure (int_table_cells.fact_table), in the shape of the fct_*
  marts (see int_fact_figures), is_chosen when it is one of the cells a table
  figure was computed from (int_table_measures.used_fact_keys). A table by
  document, not part of the view: see int_fact_figures.
-#}

with

table_cells as (

    select * from (select * from {{ ref('int_table_cells') }} {{ in_build_scope() }})
    where fact_table is not null

),

table_measures as (

    select * from (select * from {{ ref('int_table_measures') }} {{ in_build_scope() }})
    where value is not null

),

chosen_table_cells as (

    select distinct
        document_id,
        unnest(used_fact_keys) as fact_key

    from table_measures

),

final as (

    select
        table_cells.document_id,
        table_cells.fact_key,
        table_cells.fact_table,
        cast(null as integer) as fact_no,
        table_cells.conformed_measure as measure,
        table_cells.reason,
        table_cells.applicant_type,
        case
            when table_cells.appeal_block = 'review' then 'reconsideration'
            when table_cells.appeal_block in ('direct', 'after_review') then 'litigation'
            -- a pre-2019 statistics table row (行政复议数 / 行政诉讼数 and their results) says it by its measure
            when table_cells.conformed_measure like 'reconsideration%' then 'reconsideration'
            when table_cells.conformed_measure like 'litigation%' then 'litigation'
        end as appeal_type,
        table_cells.appeal_block,
        table_cells.appeal_result,
        table_cells.item,
        table_cells.value_num as value,
        table_cells.value_raw,
        table_cells.value_semantic,
        table_cells.unit,
        table_cells.unit_stated,
        false as approximate,
        'table' as source_kind,
        table_cells.era,
        table_cells.mapping_confidence,
        table_cells.rule_id,
        cast(null as integer) as rule_rank,
        cast(null as varchar) as section_key,
        table_cells.span_start,
        table_cells.span_end,
        cast(null as integer) as orig_span_start,
        cast(null as integer) as orig_span_end,
        cast(null as varchar) as sentence,
        table_cells.table_id,
        table_cells.row_key,
        table_cells.col_key,
        table_cells.row_label,
        table_cells.col_label,
        table_cells.page,
        table_cells.grid_index,
        table_cells.grid_row,
        table_cells.grid_col,
        table_cells.source as table_source,
        table_cells.reading,
        table_cells.ocr_confidence,
        table_cells.ocr_first_reading,
        chosen_table_cells.fact_key is not null as is_chosen,
        false as is_conflict,
        table_cells.parser_version

    from table_cells
    left join chosen_table_cells
        on table_cells.document_id = chosen_table_cells.document_id
        and table_cells.fact_key = chosen_table_cells.fact_key

)

select * from final {{ in_build_batch() }}
