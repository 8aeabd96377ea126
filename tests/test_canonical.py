"""The stored text of a record's data: the same text, whichever encoder writes it.

Records are compared by their canonical text to spot a change sent again. The
server has stored `json.dumps(sort_keys, compact, ensure_ascii=False)` since its
first version and now writes it with orjson: for every value a record can hold
(no floats pass validation) the two must agree byte for byte, or a session sent
again after an upgrade would count as an edit.
"""

import json

from hypothesis import given
from hypothesis import strategies as st

from server.sync.validate import canonical

# Everything JSON can carry except floats, with every character strings may hold.
keys = st.text(st.characters(codec="utf-8"), max_size=8)
leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.text(st.characters(codec="utf-8"))
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(keys, values, max_size=6))
def test_canonical_text_is_what_json_dumps_has_always_stored(data: dict) -> None:
    assert canonical(data) == json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_integers_past_64_bits_still_get_a_text_to_be_judged_by() -> None:
    assert canonical({"reps": 2**70}) == '{"reps":1180591620717411303424}'
