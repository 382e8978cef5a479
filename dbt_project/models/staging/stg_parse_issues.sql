with

source as (

    select * from {{ source('staging', 'parse_issues') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(issue_no as integer) as issue_no,
        cast(issue_code as varchar) as issue_code,
        cast(severity as varchar) as severity,
        cast(measure as varchar) as measure,
        cast(message as varchar) as message,
        cast(parser_version as varchar) as parser_version

    from source

)

select * from renamed
