{#-
  The OCR provenance of every table cell agrees with itself (a pipeline bug if
  not, so severity error): a confidence lies in 0-1; a second reading keeps
  its first reading and its confidence, and only a second reading has a first
  reading; a cell the reader found too doubtful (rule .ocr_low_confidence) is
  TEXT with its confidence, never a number.
-#}

with

table_cells as (

    select * from {{ get_where_subquery(ref('int_table_cells')) }}  {#- the batch's rows in an incremental run #}

),

inconsistent_cells as (

    select *
    from table_cells
    where
        ocr_confidence not between 0 and 1
        or (reading = 'ocr_reread') <> (ocr_first_reading is not null)
        or (reading = 'text_layer') <> (ocr_confidence is null)
        or (
            rule_id like '%.ocr_low_confidence'
            and (value_semantic <> 'TEXT' or value_num is not null or ocr_confidence is null)
        )

)

select * from inconsistent_cells
