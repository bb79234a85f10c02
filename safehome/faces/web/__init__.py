"""faces/web"""
