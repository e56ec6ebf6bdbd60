"""Quick start: the library version and the canonical form of a JSON document.

Run (after `pip install ./bindings/python`):  python bindings/python/examples/quickstart.py
"""

import sys

import eservices


def main() -> int:
    print(f"eservices {eservices.library_version()}")
    document = '{"service": "passport", "pages": 64, "urgent": true}'
    print(eservices.canonical_json(document))
    try:
        eservices.canonical_json('{"fee": 800.00}')  # money is never a float
    except eservices.GovError.InvalidInput as err:
        print(f"refused as expected: {err.code}: {err.detail}")
    except eservices.GovError as err:  # any other category
        print(f"unexpected error {err.code}: {err.detail}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
