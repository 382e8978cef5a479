with

source as (

    select * from {{ source('staging', 'quarantine') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(source_path as varchar) as source_path,
        cast(stage as varchar) as stage,
        cast(reason_code as varchar) as reason_code,
        cast(message as varchar) as message,
        cast(parser_version as varchar) as parser_version,
        cast(first_seen as timestamp) as first_seen,
        cast(last_seen as timestamp) as last_seen

    from source

)

select * from renamed
