with

source as (

    select * from {{ source('staging', 'table_cells') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(table_id as varchar) as table_id,
        cast(row_key as varchar) as row_key,
        cast(col_key as varchar) as col_key,
        cast(era as varchar) as era,
        cast(row_label as varchar) as row_label,
        cast(col_label as varchar) as col_label,
        cast(value_raw as varchar) as value_raw,
        cast(value_num as double) as value_num,
        cast(value_semantic as varchar) as value_semantic,
        cast(unit as varchar) as unit,
        cast(unit_stated as varchar) as unit_stated,
        cast(source as varchar) as source,
        cast(grid_index as integer) as grid_index,
        cast(grid_row as integer) as grid_row,
        cast(grid_col as integer) as grid_col,
        cast(page as integer) as page,
        cast(span_start as integer) as span_start,
        cast(span_end as integer) as span_end,
        cast(rule_id as varchar) as rule_id,
        cast(parser_version as varchar) as parser_version,
        cast(ocr_confidence as double) as ocr_confidence,
        cast(ocr_first_reading as varchar) as ocr_first_reading,
        cast(ocr_reread as boolean) as ocr_reread

    from source

)

select * from renamed
