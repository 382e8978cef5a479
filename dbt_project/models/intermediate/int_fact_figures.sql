{#-
  Every figure the fct_* marts hold, prose and table alike, in one shape:
  the prose figures (int_prose_facts, source_kind 'prose', key
  'prose:<fact_no>') and the staged table cells that map to a conformed
  measure (int_table_cells, source_kind 'table', key
  'table:<table_id>/<row_key>/<col_key>'), routed to their mart by
  fact_table. A table cell keeps value_raw / value_semantic as printed; its
  value is null unless NUMERIC / ZERO. Each figure says how it was read
  (reading): a table cell as int_table_cells does (text_layer / ocr /
  ocr_reread, with the OCR confidence and first reading); a prose figure ocr
  when its document's text came from OCR (stg_documents.encoding_rule 'ocr'),
  else text_layer, its OCR confidence and first reading null.

  is_chosen: the figure report_summary is computed from. A prose figure is
  chosen when it is its measure's chosen prose figure and no table gives the
  measure; a table cell when it is one of the cells the table figure was
  computed from (int_table_measures.used_fact_keys).
-#}

with

prose_facts as (

    select * from {{ ref('int_prose_facts') }}

),

table_cells as (

    select * from (select * from {{ ref('int_table_cells') }} {{ in_build_scope() }})
    where fact_table is not null

),

table_measures as (

    select * from (select * from {{ ref('int_table_measures') }} {{ in_build_scope() }})
    where value is not null

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

documents as (

    select * from {{ ref('stg_documents') }}

),

chosen_table_cells as (

    select distinct
        document_id,
        unnest(used_fact_keys) as fact_key

    from table_measures

),

prose_figures as (

    select
        prose_facts.document_id,
        'prose:' || prose_facts.fact_no as fact_key,
        prose_facts.fact_table,
        prose_facts.fact_no,
        prose_facts.measure,
        cast(null as varchar) as reason,
        cast(null as varchar) as applicant_type,
        case prose_facts.measure
            when 'reconsideration_total' then 'reconsideration'
            when 'litigation_total' then 'litigation'
        end as appeal_type,
        cast(null as varchar) as appeal_block,
        cast(null as varchar) as appeal_result,
        cast(null as varchar) as item,
        prose_facts.value,
        cast(null as varchar) as value_raw,
        case when prose_facts.value = 0 then 'ZERO' else 'NUMERIC' end as value_semantic,
        prose_facts.unit,
        cast(null as varchar) as unit_stated,
        prose_facts.approximate,
        prose_facts.source_kind,
        report_metadata.format_era as era,
        cast(null as varchar) as mapping_confidence,
        prose_facts.rule_id,
        prose_facts.rule_rank,
        prose_facts.section_key,
        prose_facts.span_start,
        prose_facts.span_end,
        prose_facts.orig_span_start,
        prose_facts.orig_span_end,
        prose_facts.sentence,
        cast(null as varchar) as table_id,
        cast(null as varchar) as row_key,
        cast(null as varchar) as col_key,
        cast(null as varchar) as row_label,
        cast(null as varchar) as col_label,
        cast(null as integer) as page,
        cast(null as integer) as grid_index,
        cast(null as integer) as grid_row,
        cast(null as integer) as grid_col,
        cast(null as varchar) as table_source,
        case when documents.encoding_rule = 'ocr' then 'ocr' else 'text_layer' end as reading,
        cast(null as double) as ocr_confidence,
        cast(null as varchar) as ocr_first_reading,
        prose_facts.is_chosen and table_measures.value is null as is_chosen,
        prose_facts.is_conflict,
        prose_facts.parser_version

    from prose_facts
    left join report_metadata
        on prose_facts.document_id = report_metadata.document_id
    left join documents
        on prose_facts.document_id = documents.document_id
    left join table_measures
        on prose_facts.document_id = table_measures.document_id
        and prose_facts.measure = table_measures.measure

),

table_figures as (

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

),

final as (

    select * from prose_figures
    union all
    select * from table_figures

)

select * from final
