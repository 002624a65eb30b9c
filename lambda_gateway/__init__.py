"""Runs the Flask app on AWS Lambda behind API Gateway, without Zappa's runtime handler."""
