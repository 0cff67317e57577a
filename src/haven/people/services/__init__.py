"""Every write to people's records. Import from here: ``haven.people.services.person_create``.

``persons``: people, names, addresses, relationships, the chronology, restricted access.
``merging``: merging duplicates, undoing a merge, the duplicates list.
``places``: loading schools, wards and postcodes from the DfE's and the ONS's files.
``haven.people.duplicates`` finds duplicates in bulk with Splink; ``duplicates_refresh``
puts them on the review list.
"""

from haven.people.services.merging import (
    duplicate_mark_not_duplicate,
    duplicates_refresh,
    person_links,
    person_merge,
    person_merge_undo,
)
from haven.people.services.persons import (
    address_add,
    chronology_record,
    person_create,
    person_name_add,
    person_update,
    relationship_add,
    relationship_end,
    restricted_access_record,
    search_keys_rebuild,
    ward_for_postcode,
)
from haven.people.services.places import postcodes_import, schools_import

__all__ = [
    "address_add",
    "chronology_record",
    "duplicate_mark_not_duplicate",
    "duplicates_refresh",
    "person_create",
    "person_links",
    "person_merge",
    "person_merge_undo",
    "person_name_add",
    "person_update",
    "postcodes_import",
    "relationship_add",
    "relationship_end",
    "restricted_access_record",
    "schools_import",
    "search_keys_rebuild",
    "ward_for_postcode",
]
