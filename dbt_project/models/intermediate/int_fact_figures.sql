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

  The table figures are a table of their own (int_table_figures): each fct_* mart built from this view with
  their join to the chosen cells in the same query as the prose figures ran out of a bounded memory (at 20 000
  reports under 500MB fct_application spilled and took ~6x the CPU of the two halves written apart).
-#}

with

prose_facts as (

    select * from {{ ref('int_prose_facts') }}

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

    select * from {{ ref('int_table_figures') }} {{ in_build_scope() }}

),

final as (

    select * from prose_figures
    union all
    select * from table_figures

)

select * from final
