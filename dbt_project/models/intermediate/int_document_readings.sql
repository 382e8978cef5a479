{#-
  One row per document with table cells: how many were read from scanned pages (by OCR, by an
  identity-guided second reading) and how many were too doubtful to be a figure. A table by document
  (incremental, macros/build_batch.sql) because mart_data_quality reads every document's counts.
-#}

with

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

final as (

    select
        document_id,
        count(*) filter (where reading in ('ocr', 'ocr_reread')) as cells_ocr,
        count(*) filter (where reading = 'ocr_reread') as cells_ocr_reread,
        count(*) filter (where rule_id like '%.ocr_low_confidence') as cells_ocr_low_confidence

    from table_cells
    group by document_id

)

select * from final {{ in_build_batch() }}
order by document_id
