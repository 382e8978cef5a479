with

source as (

    select * from {{ source('staging', 'documents') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(source_path as varchar) as source_path,
        cast(source_file as varchar) as source_file,
        cast(file_type as varchar) as file_type,
        cast(byte_size as bigint) as byte_size,
        cast(encoding as varchar) as encoding,
        cast(encoding_rule as varchar) as encoding_rule,
        cast(replacement_count as integer) as replacement_count,
        cast(script as varchar) as script,
        cast(pinyin_removed as integer) as pinyin_removed,
        cast(original_text as varchar) as original_text,
        cast(normalized_text as varchar) as normalized_text,
        cast(offset_map as varchar) as offset_map,
        cast(grids_json as varchar) as grids_json,
        cast(parser_version as varchar) as parser_version

    from source

)

select * from renamed
