"""Writes the seed's four Streamlit programs, unchanged, and its faq_data.csv into
DIR (default target/bench/streamlit), so the benchmark can run the peer as the
course builds it. Usage: python3 tools/seed_apps.py [SEED] [DIR]"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
seed = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/seeds/000_7c238f430c52960f.repaired.txt")
out = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "target/bench/streamlit")
text = seed.read_text(encoding="utf-8")

programs = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "import streamlit" in b]
names = ["customer_service.py", "support.py", "storyteller.py", "faq.py"]
if len(programs) != len(names):
    sys.exit(f"expected {len(names)} Streamlit programs in {seed}, found {len(programs)}")
csv = re.search(r"```csv\n(.*?)```", text, re.S)
if not csv:
    sys.exit(f"no faq_data.csv block in {seed}")

out.mkdir(parents=True, exist_ok=True)
for name, program in zip(names, programs):
    (out / name).write_text(program, encoding="utf-8")
(out / "faq_data.csv").write_text(csv.group(1), encoding="utf-8")
print(f"{len(programs)} programs and faq_data.csv in {out}")
