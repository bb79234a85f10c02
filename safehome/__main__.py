from safehome.faces.cli import main

raise SystemExit(main())
