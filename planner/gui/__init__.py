"""The Qt desktop application: main window, pages, charts and worker bridges."""
